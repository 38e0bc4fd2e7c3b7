"""`GET /v1/models`: the model configs this server knows, and which it uses."""

from __future__ import annotations

from fastapi import APIRouter

from ...errors import ConfigError
from ...models.config import list_config_names, load_model_config
from ..deps import QueueDep, SettingsDep
from ..schemas import ModelInfo

router = APIRouter(tags=["models"])


@router.get("/v1/models", response_model=list[ModelInfo], summary="Model configs and the ones in use")
def list_models(settings: SettingsDep, queue: QueueDep) -> list[ModelInfo]:
    roles_in_use = {"translate": settings.translate_config, "headline": settings.writer_config_name,
                    "summary": settings.writer_config_name}
    pipeline = queue.pipeline
    loaded = set()
    if pipeline is not None:
        loaded = {b.config.id for b in (pipeline.translate_backend, pipeline.writer_backend) if b is not None and b.loaded}
    models = []
    for name in list_config_names(settings.model_configs_dir):
        try:
            config = load_model_config(settings.model_configs_dir, name)
        except ConfigError:
            continue  # an invalid file is reported by `brief models`, not here
        models.append(ModelInfo(
            id=config.id, description=config.description, roles=list(config.roles), backend=config.backend,
            licence=config.licence, licence_note=config.licence_note,
            active=[role for role, used in roles_in_use.items() if used == config.id], loaded=config.id in loaded,
        ))
    return models
