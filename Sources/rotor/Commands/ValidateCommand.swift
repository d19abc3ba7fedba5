import ArgumentParser
import Foundation
import RotorCore
import RotorApp

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check playbooks; report every problem as FILE:LINE:COL.",
        discussion: """
            Reads every *.yml / *.yaml file in the folders given (default: the playbooks folder) and every file named. Exit status 0 when all are valid, 1 when any problem was found (2: the command line or rotor.yml is wrong). --json prints {"valid", "playbooks", "diagnostics": [{file, line, column, message, hint}]}.

            Examples:
              rotor validate
              rotor validate Playbooks/openai-api-key.yml --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Playbook files or folders.") var paths: [String] = []
    @Flag(help: "Print JSON: whether all are valid, and the problems.") var json = false

    /// What `--json` prints.
    struct Report: Encodable {
        let valid: Bool
        /// How many valid playbooks were read.
        let playbooks: Int
        let diagnostics: [Diagnostic]
    }

    func run() throws {
        let options = global.appOptions()
        let config: RotorConfig
        do {
            config = try options.loadConfig()
        } catch {
            throw CLIError.usage("\(error)")
        }
        let loader = PlaybookLoader(config: config, defaultPath: options.playbooks)
        let set = loader.load(paths)
        let diagnostics = set.diagnostics + loader.setupProblems(set)
        if json {
            print(JSONOutput.document(Report(valid: diagnostics.isEmpty, playbooks: set.playbooks.count, diagnostics: diagnostics)))
        } else {
            for diagnostic in diagnostics { print(diagnostic.description) }
            // Warnings do not fail validation: the playbook works, the age limit just does the schedule's job.
            for playbook in set.playbooks {
                if let advice = ScheduleAdvice.rarerThanMaxAge(playbook, from: Date()) { Console.info("\(playbook.file): warning: \(advice)") }
            }
            let files = Set(set.playbooks.map(\.file)).count + set.invalidFiles.count
            if diagnostics.isEmpty {
                print("\(Mark.ok) \(set.playbooks.count) playbook\(set.playbooks.count == 1 ? "" : "s") valid")
            } else {
                print("\(Mark.failed) \(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")")
            }
        }
        if !diagnostics.isEmpty { throw ExitCode.failure }
    }
}
