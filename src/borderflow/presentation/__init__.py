"""What the web app and the report both show: chart figures, the stylesheet with the verdict
colours, and the third-party scripts served from installed packages. Both faces import
this; neither imports the other."""
