from koers.cli import main

# The guard matters: worker processes (ingest.isolation) import this module again and must not run the CLI.
if __name__ == "__main__":
    main()
