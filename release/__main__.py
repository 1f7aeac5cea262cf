"""`python -m release build | publish ...`: see the package's docstring."""

import sys

from release import main

sys.exit(main())
