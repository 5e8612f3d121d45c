"""Saved example operations the secretariat's dashboard opens in GraphiQL (/graphql/?query=…&variables=…).

tests/frontend_stub/test_pages_secretariat.py validates each one against jianglian.schema, so an
example that drifts from the schema fails the build.
"""

EXAMPLE_OPERATIONS = [
    {
        "title": "待审核的入盟申请 / Pending membership applications",
        "description": "列出待审核的申请及其工作室。",
        "query": """query PendingApplications {
  membershipApplications(status: PENDING, first: 20) {
    totalCount
    edges {
      node {
        id
        status
        statement
        submittedAt
        studio { id name hostEnterprise province city level }
      }
    }
  }
}
""",
    },
    {
        "title": "批准一份申请 / Approve one application",
        "description": "把变量 id 换成上一步查到的申请 id，再执行。",
        "query": """mutation ApproveApplication($id: ID!) {
  reviewMembershipApplication(id: $id, decision: APPROVE, note: "材料齐全，同意入盟。") {
    application { id status reviewedAt studio { name membershipStatus } }
  }
}
""",
        "variables": '{"id": "<申请 id / application id>"}',
    },
    {
        "title": "发布成员批次 / Publish a member batch",
        "description": "把已批准、尚未发布的申请编入新的批次并公布。",
        "query": """mutation PublishBatch($name: String!, $applicationIds: [ID!]!) {
  publishMembershipBatch(name: $name, applicationIds: $applicationIds) {
    batch { id number name publishedAt }
  }
}
""",
        "variables": '{"name": "第二批", "applicationIds": ["<申请 id / application id>"]}',
    },
]
