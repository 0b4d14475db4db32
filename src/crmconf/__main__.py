import sys

from crmconf.cli import main

sys.exit(main())
