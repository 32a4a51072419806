"""``/ai/workflow-gen``: GitHub Actions steps that prepare a repository for codeflash."""

import json
import re
from typing import Any

import yaml

from codeflash_engine.pipeline.ports import CallInfo, LLMGateway, LLMUnavailableError
from codeflash_engine.pipeline.prompt_templates import engine_prompt

_YAML_BLOCK = re.compile(r"```(?:ya?ml)?\s*\n(.*?)\n```", re.DOTALL)
MAX_FILE_CHARS = 20_000


def parse_steps(text: str) -> str:
    """The reply's YAML when it is a non-empty list of steps (mappings with ``uses`` or ``run``)."""
    block = _YAML_BLOCK.search(text)
    source = (block.group(1) if block else text).strip()
    try:
        steps = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise LLMUnavailableError(f"the LLM's workflow steps are not valid YAML: {exc}") from exc
    if isinstance(steps, dict) and isinstance(steps.get("steps"), list):
        steps = steps["steps"]
    if not isinstance(steps, list) or not steps:
        raise LLMUnavailableError("the LLM's workflow steps are not a list of steps")
    if not all(isinstance(step, dict) and ("uses" in step or "run" in step) for step in steps):
        raise LLMUnavailableError("every workflow step needs 'uses' or 'run'")
    return yaml.safe_dump(steps, sort_keys=False)


def _files_section(repo_files: dict[str, str]) -> str:
    return "\n\n".join(
        f"<file path={json.dumps(path)}>\n{content[:MAX_FILE_CHARS]}\n</file>"
        for path, content in repo_files.items()
    )


async def generate_workflow_steps(
    llm: LLMGateway,
    repo_files: dict[str, str],
    directory_structure: dict[str, Any],
    codeflash_config: dict[str, Any],
    *,
    call: CallInfo,
) -> str:
    prompt = engine_prompt(
        "workflow_gen",
        repo_files=_files_section(repo_files) or "(none)",
        directory_structure=json.dumps(directory_structure, indent=1)[:MAX_FILE_CHARS],
        codeflash_config=json.dumps(codeflash_config),
    )
    reply = await llm.complete(prompt, call=call)
    return parse_steps(reply.text)
