"""Remote write intake (1.0 and 2.0) into the series store; `handler.make_write_handler` is the
aiohttp entry point the composition root mounts at ``/api/v1/write``."""
