import asyncio

from services.extract.app import main

asyncio.run(main())
