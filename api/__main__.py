from api.cli.app import main

main()
