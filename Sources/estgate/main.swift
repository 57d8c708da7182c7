import Foundation

// The exit status comes from one place, EstgateCommand.run: 0 ok, 1 runtime error, 2 usage error.
exit(EstgateCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
