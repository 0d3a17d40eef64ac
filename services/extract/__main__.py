if __name__ == "__main__":  # not in the engine's worker processes, which import the main module again
    import asyncio

    # Imported here, not at the top: each worker would otherwise import the whole service (faststream,
    # aiokafka, ...) before the engine, and the first batch waits for the workers.
    from dealwire.services.extract.app import main

    asyncio.run(main())
