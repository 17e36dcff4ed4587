using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Tools.ContractGen;

// ContractGen OUTPUT.ts: the TypeScript of the contract compiled into this program, written only if it changed
// (so that an unchanged contract does not bundle the scripts again).
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: ContractGen <contract.ts>");
    return 2;
}
var assembly = typeof(IDashboardClient).Assembly;
var docs = XmlDocs.Load(Path.ChangeExtension(assembly.Location, ".xml"));
string text = TypeScriptContract.Generate(assembly, docs);
string output = Path.GetFullPath(args[0]);
if (File.Exists(output) && File.ReadAllText(output) == text) return 0;
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, text);
Console.WriteLine($"ContractGen: wrote {output}");
return 0;
