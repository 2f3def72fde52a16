"""The typer application objects; feature modules under zhengwu/cli/ add their commands to them."""

import typer

app = typer.Typer(
    name="zhengwu",
    help="政务大模型平台 zhengwu — 知识库、问答、公文、治理网关。Governed LLM platform for government.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(help="评测基准 / benchmarks", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
kb_app = typer.Typer(help="知识库管理 / knowledge bases", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
write_app = typer.Typer(help="公文与办公写作 / official documents and office writing", no_args_is_help=True)
app.add_typer(write_app, name="write")
hotline_app = typer.Typer(help="12345 热线：工单、分类派单、热点 / 12345 hotline: tickets, dispatch, hotspots", no_args_is_help=True)
app.add_typer(hotline_app, name="hotline")
