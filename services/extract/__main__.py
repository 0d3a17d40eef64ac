if __name__ == "__main__":  # not in the engine's worker processes, which import the main module again
    import asyncio

    from dealwire.shared.settings import ExtractSettings

    # The engine's workers start first, before this process imports anything else (they import only
    # `engine_worker` and the engine): each loads and warms up the engine (about a second) while this process
    # imports the service, creates its topics and joins its consumer group (`app.main`). The service is
    # imported here, not at the top: each worker imports this module again, and would otherwise import the
    # whole service before the engine.
    settings = ExtractSettings()
    from dealwire.services.extract.engine_worker import begin_pool

    workers = begin_pool(settings.engine_processes) if settings.engine_processes else None

    from dealwire.services.extract.app import main
    from dealwire.services.extract.engine_runs import EngineRuns

    engine = EngineRuns(settings.engine_processes, settings.engine_timeout_s)
    engine.begin(workers)
    asyncio.run(main(settings, engine))
