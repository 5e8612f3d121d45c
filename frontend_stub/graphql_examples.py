"""Saved example operations the secretariat's dashboard opens in GraphiQL (/graphql/?query=…).

Kept in step with the schema by tests/frontend_stub/test_pages_secretariat.py, which
validates each one against jianglian.schema.
"""

EXAMPLE_OPERATIONS = [
    {
        "title": "待审核的入盟申请 / Pending membership applications",
        "description": "列出所有待审核的申请及其工作室。",
        "query": """query PendingApplications {
  membershipApplications(status: "pending", first: 20) {
    edges {
      node {
        id
        status
        statement
        submittedAt
        studio { id name province city level }
      }
    }
  }
}
""",
    },
    {
        "title": "批准一份申请 / Approve one application",
        "description": "把 id 换成上一步查到的申请编号，再执行。",
        "query": """mutation ApproveApplication($id: ID!) {
  reviewMembershipApplication(input: {id: $id, decision: "approve", note: "材料齐全，同意入盟。"}) {
    application { id status reviewedAt studio { name membershipStatus } }
  }
}
""",
        "variables": '{"id": "<application id>"}',
    },
    {
        "title": "发布成员批次 / Publish a member batch",
        "description": "把已批准、尚未发布的申请编入新的批次并公布。",
        "query": """mutation PublishBatch {
  publishMembershipBatch(input: {name: "第二批"}) {
    batch { id number name publishedAt studios { name } }
  }
}
""",
    },
]
