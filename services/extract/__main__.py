if __name__ == "__main__":  # not in the engine's worker processes, which import the main module again
    import asyncio

    from dealwire.services.extract.engine_runs import EngineRuns
    from dealwire.shared.settings import ExtractSettings

    # The engine's workers start first: each imports the engine and warms it up (about a second) while this
    # process imports the service (faststream, aiokafka, ...), creates its topics and joins its consumer
    # group. The service is imported here, not at the top: each worker imports this module again, and would
    # otherwise import the whole service before the engine.
    settings = ExtractSettings()
    engine = EngineRuns(settings.engine_processes, settings.engine_timeout_s)
    engine.begin()

    from dealwire.services.extract.app import main

    asyncio.run(main(settings, engine))
