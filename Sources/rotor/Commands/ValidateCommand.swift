import ArgumentParser
import Foundation
import RotorCore
import RotorApp

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check playbooks; report every problem as FILE:LINE:COL.",
        discussion: """
            Reads every *.yml / *.yaml file in the folders given (default: the playbooks folder) and every file named. Exit status 0 when all are valid, 1 when any problem was found.

            Examples:
              rotor validate
              rotor validate Playbooks/openai-api-key.yml --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Playbook files or folders.") var paths: [String] = []
    @Flag(help: "Print the problems as a JSON list.") var json = false

    func run() throws {
        let options = global.appOptions()
        let loader = PlaybookLoader(config: try options.loadConfig(), defaultPath: options.playbooks)
        let set = loader.load(paths)
        let diagnostics = set.diagnostics + loader.setupProblems(set)
        if json {
            print(JSONOutput.string(diagnostics))
        } else {
            for diagnostic in diagnostics { print(diagnostic.description) }
            // Warnings do not fail validation: the playbook works, the age limit just does the schedule's job.
            for playbook in set.playbooks {
                if let advice = ScheduleAdvice.rarerThanMaxAge(playbook, from: Date()) { print("\(playbook.file): warning: \(advice)") }
            }
            let files = Set(set.playbooks.map(\.file)).count + set.invalidFiles.count
            if diagnostics.isEmpty {
                print("✅ \(set.playbooks.count) playbook\(set.playbooks.count == 1 ? "" : "s") valid")
            } else {
                print("❌ \(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")")
            }
        }
        if !diagnostics.isEmpty { throw ExitCode.failure }
    }
}
