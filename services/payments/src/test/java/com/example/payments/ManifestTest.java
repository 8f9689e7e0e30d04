package com.example.payments;

import com.example.fanout.testing.ServiceManifestContract;

/** The platform's checks of this service's manifest against its classes (see ServiceManifestContract). */
class ManifestTest extends ServiceManifestContract {}
