"""The briefing engine: turns articles into cited records and answers questions about them."""
