"""The Slack app, the command line, the local console and the clock: the product's outer layer."""
