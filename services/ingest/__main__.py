from dealwire.services.ingest.app import main

main()
