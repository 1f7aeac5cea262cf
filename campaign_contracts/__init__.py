"""campaign-contracts: the installed packages of this project, under one name of its own.

`campaign_contracts.sandbox` (the `campaign-sandbox` command) and `campaign_contracts.spec_changes`
(the change gate); `contract_tests` stays a top-level package beside it.
"""
