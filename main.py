"""ClusterScope entry point: ``python main.py`` or ``clusterscope`` (the desktop app), or a
headless subcommand (``count``, ``wordcount``, ``generate-corpus``, ``demo``)."""

import sys


def main() -> int:
    from cli.commands import main as cli_main
    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
