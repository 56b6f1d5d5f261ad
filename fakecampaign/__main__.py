from fakecampaign.cli import main

raise SystemExit(main())
