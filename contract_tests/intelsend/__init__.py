"""IntelSend's part of the contract run: its business rules and checks."""
