import PackagePlugin

/// Compiles `Policies/default.yaml` into the target as a Swift string constant,
/// so the binary carries its default policy and needs no resource bundle beside it.
@main
struct EmbedDefaultPolicy: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let tool = try context.tool(named: "EmbedResourceTool")
        let input = context.package.directoryURL.appending(path: "Policies").appending(path: "default.yaml")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedDefaultPolicy.swift")
        return [
            .buildCommand(
                displayName: "Embedding Policies/default.yaml",
                executable: tool.url,
                arguments: [input.path(percentEncoded: false), output.path(percentEncoded: false), "embeddedDefaultPolicyYAML"],
                inputFiles: [input],
                outputFiles: [output]
            )
        ]
    }
}
