from medlit.cli import main

main()
