import sys

from medreview.cli import main

sys.exit(main())
