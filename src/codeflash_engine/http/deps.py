"""FastAPI dependencies shared by the routers."""

from typing import Annotated

from fastapi import Depends, Request

from codeflash_engine.http.resources import AppResources
from codeflash_engine.pipeline.ports import LLMGateway
from codeflash_engine.plugins import PluginHost
from codeflash_engine.plugins.isolation import HookRunner


def get_resources(request: Request) -> AppResources:
    resources: AppResources = request.app.state.resources
    return resources


Resources = Annotated[AppResources, Depends(get_resources)]


def get_plugins(resources: Resources) -> PluginHost:
    return resources.plugins


def get_hooks(resources: Resources) -> HookRunner:
    return resources.hooks


def get_llm(resources: Resources) -> LLMGateway:
    return resources.llm


Plugins = Annotated[PluginHost, Depends(get_plugins)]
Hooks = Annotated[HookRunner, Depends(get_hooks)]
LLM = Annotated[LLMGateway, Depends(get_llm)]
