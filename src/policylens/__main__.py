from policylens.cli import main

main()
