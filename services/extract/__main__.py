import asyncio

from dealwire.services.extract.app import main

asyncio.run(main())
