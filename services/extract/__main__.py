import asyncio

from dealwire.services.extract.app import main

if __name__ == "__main__":  # not in the engine's worker processes, which import the main module again
    asyncio.run(main())
