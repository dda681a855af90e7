"""`python -m extractor`: the same as the `extractor` command."""

import sys

from extractor.cli.main import main

sys.exit(main())
