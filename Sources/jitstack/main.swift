import JitstackCLI

JitstackCommand.main()
