import Glibc

/// Runs a command (Postfix's `sendmail` for re-injection) with a pipe on its standard
/// input, for passing a message on unchanged.
public final class CommandPipe {
    private let pid: pid_t
    public let input: Int32

    public struct LaunchError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ arguments: [String]) throws(LaunchError) {
        guard let program = arguments.first else { throw LaunchError(description: "no command given after --") }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LaunchError(description: "pipe: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var child: pid_t = 0
        let status = posix_spawnp(&child, program, &actions, nil, &cArguments, environ)
        close(fds[0])
        guard status == 0 else {
            close(fds[1])
            throw LaunchError(description: "cannot run \(program): \(String(cString: strerror(status)))")
        }
        pid = child
        input = fds[1]
        // A command that exits early must not kill us with SIGPIPE; the write fails instead.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Closes the command's input and waits; returns its exit status (128+signal if killed).
    public func finish() -> Int32 {
        close(input)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 75 }
        }
        if status & 0x7F == 0 { return (status >> 8) & 0xFF }
        return 128 + (status & 0x7F)
    }
}
