import asyncio

from services.store.app import main

asyncio.run(main())
