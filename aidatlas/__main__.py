from aidatlas.cli import main

main()
