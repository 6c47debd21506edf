from mirco_lms.cli import main

main()
