"""`python -m contract_tests --help`."""

import sys

from contract_tests.cli import main

sys.exit(main())
