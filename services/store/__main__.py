import asyncio

from dealwire.services.store.joining import main

asyncio.run(main())
