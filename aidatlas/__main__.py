from aidatlas.cli.main import main

main()
