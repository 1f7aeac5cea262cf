"""Local sandbox server that imitates the Engage and IntelSend campaign APIs, with state."""
