"""Constants of money in (no Django import)."""

MAX_DONATION = 100_000_000_000
"""The largest single donation accepted (100 tỷ đồng): anything above is a typing error."""

ANONYMOUS_NAME = "Nhà hảo tâm giấu tên"
DIRECT_SERIES = "HTTT"
"""Receipt series of direct support (hỗ trợ trực tiếp), kept apart from every fund."""
