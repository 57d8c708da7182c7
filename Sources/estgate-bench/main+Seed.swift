import ArgumentParsing
import Foundation

/// Runs `estgate-bench seed` and exits: 0 when every request was written, 1 on failure, 2 on a
/// usage error.
func runSeed(_ arguments: [String]) -> Never {
    let settings: SeedSettings
    do {
        switch try SeedCommand.spec.parse(arguments) {
        case .help(let text):
            print(text, terminator: "")
            exit(0)
        case .command(let command):
            settings = try SeedSettings(command)
        }
    } catch {
        standardError("estgate-bench seed: \(error.message)\n\(error.helpHint)\n")
        exit(2)
    }

    do {
        let elapsed = try PendingRequestSeeder(settings: settings).run { written, elapsed in
            standardError(String(format: "estgate-bench seed: %d of %d written after %.1f s\n", written, settings.pending, elapsed))
        }
        let rate = Double(settings.pending) / max(elapsed, 0.001)
        print("Added \(settings.pending) pending requests to domain \(settings.domain)"
            + String(format: " in %.1f s (%.0f requests/s).", elapsed, rate))
        exit(0)
    } catch {
        standardError("estgate-bench seed: \(error)\n")
        exit(1)
    }
}
