"""Print the command sections of docs/cli.md from the live command tree (tests/test_docs.py checks that every
command and option is documented; run `python docs/cli_reference.py` and merge its output after adding one)."""


from typer.main import get_command
from zhengwu.cli import app

def walk(cmd, path):
    if hasattr(cmd, "commands"):
        for name, sub in sorted(cmd.commands.items()):
            yield from walk(sub, path + [name])
    else:
        yield path, cmd

out = []
root = get_command(app)
for path, cmd in walk(root, []):
    out.append(f"### `zhengwu {' '.join(path)}`\n")
    help_ = (cmd.help or "").strip().split("\n\n")[0]
    out.append(help_ + "\n")
    args = [p for p in cmd.params if type(p).__name__.endswith("Argument")]
    opts = [p for p in cmd.params if type(p).__name__.endswith("Option") and p.name != "help"]
    if args:
        out.append("Arguments: " + ", ".join(f"`{a.name.upper()}`" for a in args) + "\n")
    if opts:
        out.append("| option | meaning |\n|---|---|")
        for o in opts:
            names = " / ".join(f"`{n}`" for n in o.opts + o.secondary_opts)
            out.append(f"| {names} | {(o.help or '').replace('|', '/')} |")
        out.append("")
print("\n".join(out))
