"""Service items (政务服务事项): versioned master data managed in the internal zone and
published to the external zone through the exchange (docs/services.md)."""
