from formkit.cli import main

main()
