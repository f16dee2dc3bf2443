"""``python -m formkit``. The command is imported only when run: a worker
process (spawn) imports this module as __mp_main__ and must not load the CLI."""


def run() -> None:
    from formkit.cli import main

    main()


if __name__ == "__main__":
    run()
