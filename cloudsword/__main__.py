"""`python -m cloudsword ...`: see cloudsword.cli."""

import sys

from cloudsword.cli import main

sys.exit(main())
