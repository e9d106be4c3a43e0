"""Pure text analysis: normalization, segmentation, query parsing, highlighting. No I/O."""
