import sys

from gestcore.cli import main

sys.exit(main())
