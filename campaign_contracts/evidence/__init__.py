"""What recorded traffic says about the documents (`python -m campaign_contracts.evidence`),
and how close the sandbox behaves to it (`python -m campaign_contracts.evidence.parity`)."""
