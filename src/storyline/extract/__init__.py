"""From raw input to a clean, dated article: decoding, HTML extraction, cleaning, metadata."""
