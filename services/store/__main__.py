import asyncio

from dealwire.services.store.app import main

asyncio.run(main())
