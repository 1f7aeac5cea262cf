"""IntelSend's own options of the contract run: none but how --allow-send names its sends."""

from __future__ import annotations

from contract_tests.vendors import Options


class IntelSendOptions(Options):
    sends = "send IntelSend ones"


OPTIONS = IntelSendOptions()
